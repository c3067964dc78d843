// Path traversal (CWE-22), after https://cwe.mitre.org/data/definitions/22.html,
// https://owasp.org/www-community/attacks/Path_Traversal and
// https://snyk.io/research/zip-slip-vulnerability
import java.io.*;
import java.nio.file.*;
import java.util.zip.*;
import javax.servlet.http.*;

class PathTraversal {
    static final String BASE = "/srv/files/";

    void read(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        File f = new File(BASE + req.getParameter("file")); // codetable: expect security.path-traversal.user-path
        Files.copy(f.toPath(), resp.getOutputStream());
    }

    void stream(HttpServletRequest req) throws IOException {
        FileInputStream in = new FileInputStream(req.getParameter("path")); // codetable: expect security.path-traversal.user-path
        in.close();
    }

    byte[] nio(HttpServletRequest req) throws IOException {
        return Files.readAllBytes(Paths.get(BASE, req.getParameter("name"))); // codetable: expect security.path-traversal.user-path
    }

    void delete(HttpServletRequest req) throws IOException {
        Files.delete(Path.of(BASE + req.getParameter("name"))); // codetable: expect security.path-traversal.user-path
    }

    void throughLocal(HttpServletRequest req) throws IOException {
        String name = req.getParameter("name");
        File target = new File(BASE, name); // codetable: expect security.path-traversal.user-path
        target.delete();
    }

    void unzip(ZipInputStream zis, File dest) throws IOException {
        ZipEntry entry;
        while ((entry = zis.getNextEntry()) != null) {
            File out = new File(dest, entry.getName()); // codetable: expect security.path-traversal.archive-extract
            Files.copy(zis, out.toPath());
        }
    }

    // Fixed forms.
    void checked(HttpServletRequest req) throws IOException {
        Path base = Paths.get(BASE).toRealPath();
        Path p = base.resolve(req.getParameter("name")).normalize();
        if (!p.startsWith(base)) throw new SecurityException("outside base");
        Files.delete(p); // codetable: ok security.path-traversal.user-path
    }

    void constant() throws IOException {
        new FileInputStream("/etc/app/config.properties").close(); // codetable: ok security.path-traversal.user-path
    }

    void unzipChecked(ZipInputStream zis, File dest) throws IOException {
        ZipEntry entry;
        while ((entry = zis.getNextEntry()) != null) {
            File out = new File(dest, entry.getName()); // codetable: ok security.path-traversal.archive-extract
            if (!out.getCanonicalPath().startsWith(dest.getCanonicalPath() + File.separator)) throw new IOException("zip slip");
            Files.copy(zis, out.toPath());
        }
    }
}
