// Server-side template injection (CWE-1336), after https://cwe.mitre.org/data/definitions/1336.html,
// the OWASP WSTG SSTI chapter, and the Velocity, FreeMarker and Thymeleaf documentation.
import freemarker.cache.StringTemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.Template;
import java.io.StringReader;
import java.io.StringWriter;
import javax.servlet.http.HttpServletRequest;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.Velocity;
import org.apache.velocity.app.VelocityEngine;
import org.springframework.web.bind.annotation.*;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;

@RestController
class Ssti {
    Configuration cfg;
    VelocityEngine velocityEngine;
    TemplateEngine templateEngine;
    StringTemplateLoader loader;

    String velocity(HttpServletRequest request) {
        StringWriter out = new StringWriter();
        String body = "Hello " + request.getParameter("name");
        Velocity.evaluate(new VelocityContext(), out, "mail", body); // codetable: expect security.template-injection.from-string
        return out.toString();
    }

    @PostMapping("/velocity")
    String velocityEngine(@RequestParam String template) {
        StringWriter out = new StringWriter();
        velocityEngine.evaluate(new VelocityContext(), out, "user", template); // codetable: expect security.template-injection.from-string
        return out.toString();
    }

    @PostMapping("/freemarker")
    String freemarker(@RequestParam String source) throws Exception {
        Template t = new Template("user", new StringReader(source), cfg); // codetable: expect security.template-injection.from-string
        StringWriter out = new StringWriter();
        t.process(null, out);
        return out.toString();
    }

    @PostMapping("/loader")
    void loader(@RequestParam String source) {
        loader.putTemplate("custom", source); // codetable: expect security.template-injection.from-string
    }

    @PostMapping("/thymeleaf")
    String thymeleaf(@RequestParam String tpl) {
        return templateEngine.process(tpl, new Context()); // codetable: expect security.template-injection.from-string
    }

    // Fixed forms.
    @GetMapping("/velocity-safe")
    String velocitySafe(@RequestParam String name) {
        VelocityContext ctx = new VelocityContext();
        ctx.put("name", name);
        StringWriter out = new StringWriter();
        Velocity.evaluate(ctx, out, "mail", "Hello $name"); // codetable: ok security.template-injection.from-string
        return out.toString();
    }

    @GetMapping("/thymeleaf-safe")
    String thymeleafSafe(@RequestParam String name) {
        Context ctx = new Context();
        ctx.setVariable("name", name);
        return templateEngine.process("hello", ctx); // codetable: ok security.template-injection.from-string
    }

    @GetMapping("/freemarker-safe")
    String freemarkerSafe(@RequestParam String name) throws Exception {
        Template t = cfg.getTemplate("hello.ftl"); // codetable: ok security.template-injection.from-string
        StringWriter out = new StringWriter();
        t.process(java.util.Map.of("name", name), out);
        return out.toString();
    }
}
