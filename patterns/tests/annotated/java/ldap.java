// LDAP injection (CWE-90), after https://cwe.mitre.org/data/definitions/90.html,
// https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html,
// https://docs.oracle.com/javase/8/docs/api/javax/naming/directory/DirContext.html and
// https://docs.spring.io/spring-ldap/docs/current/reference/ (LdapTemplate, LdapQueryBuilder, LdapEncoder)
import javax.naming.directory.*;
import javax.servlet.http.HttpServletRequest;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.filter.EqualsFilter;
import org.springframework.ldap.support.LdapEncoder;
import org.springframework.web.bind.annotation.*;
import com.unboundid.ldap.sdk.*;
import static org.springframework.ldap.query.LdapQueryBuilder.query;

@RestController
class Ldap {
    DirContext ctx;
    LdapTemplate ldapTemplate;
    LDAPConnection conn;

    Object jndiConcat(HttpServletRequest request) throws Exception {
        String user = request.getParameter("user");
        String filter = "(&(objectClass=person)(uid=" + user + "))";
        return ctx.search("ou=people,dc=example,dc=com", filter, new SearchControls()); // codetable: expect security.ldap-injection.request-filter
    }

    Object jndiInline(HttpServletRequest request) throws Exception {
        return ctx.search("ou=people", "(cn=" + request.getParameter("cn") + ")", new SearchControls()); // codetable: expect security.ldap-injection.request-filter
    }

    Object jndiFormat(HttpServletRequest request) throws Exception {
        String mail = request.getHeader("X-Mail");
        return ctx.search("ou=people", String.format("(mail=%s)", mail), new SearchControls()); // codetable: expect security.ldap-injection.request-filter
    }

    @GetMapping("/spring")
    Object spring(@RequestParam String name) {
        return ldapTemplate.search("ou=people", "(uid=" + name + ")", (AttributesMapper<String>) a -> a.get("cn").toString()); // codetable: expect security.ldap-injection.request-filter
    }

    @PostMapping("/auth")
    boolean auth(@RequestParam String user, @RequestParam String password) {
        return ldapTemplate.authenticate("ou=people", "(uid=" + user + ")", password); // codetable: expect security.ldap-injection.request-filter
    }

    @GetMapping("/query")
    Object queryBuilder(@RequestParam String name) {
        return ldapTemplate.search(query().filter("(cn=" + name + ")"), (AttributesMapper<String>) a -> a.toString()); // codetable: expect security.ldap-injection.request-filter
    }

    Object unboundid(HttpServletRequest request) throws Exception {
        String uid = request.getParameter("uid");
        Filter f = Filter.create("(uid=" + uid + ")");
        return conn.search("dc=example,dc=com", SearchScope.SUB, f); // codetable: expect security.ldap-injection.request-filter
    }

    Object unboundidString(HttpServletRequest request) throws Exception {
        String uid = request.getParameter("uid");
        return conn.search("dc=example,dc=com", SearchScope.SUB, "(uid=" + uid + ")"); // codetable: expect security.ldap-injection.request-filter
    }

    // Fixed forms.
    Object jndiArgs(HttpServletRequest request) throws Exception {
        String user = request.getParameter("user");
        return ctx.search("ou=people", "(&(objectClass=person)(uid={0}))", new Object[] { user }, new SearchControls()); // codetable: ok security.ldap-injection.request-filter
    }

    @GetMapping("/spring-safe")
    Object springEncoded(@RequestParam String name) {
        return ldapTemplate.search("ou=people", "(uid=" + LdapEncoder.filterEncode(name) + ")", (AttributesMapper<String>) a -> a.toString()); // codetable: ok security.ldap-injection.request-filter
    }

    @PostMapping("/auth-safe")
    boolean authFilter(@RequestParam String user, @RequestParam String password) {
        return ldapTemplate.authenticate("ou=people", new EqualsFilter("uid", user).encode(), password); // codetable: ok security.ldap-injection.request-filter
    }

    @GetMapping("/query-safe")
    Object queryParams(@RequestParam String name) {
        return ldapTemplate.search(query().filter("(cn={0})", name), (AttributesMapper<String>) a -> a.toString()); // codetable: ok security.ldap-injection.request-filter
    }

    Object unboundidSafe(HttpServletRequest request) throws Exception {
        Filter f = Filter.createEqualityFilter("uid", request.getParameter("uid")); // codetable: ok security.ldap-injection.request-filter
        return conn.search("dc=example,dc=com", SearchScope.SUB, f);
    }

    Object constantFilter() throws Exception {
        return ctx.search("ou=people", "(objectClass=person)", new SearchControls()); // codetable: ok security.ldap-injection.request-filter
    }
}
