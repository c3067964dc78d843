// NoSQL injection (CWE-943), after
// https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection,
// https://www.mongodb.com/docs/manual/reference/operator/query/where/ and
// https://mongodb.github.io/mongo-java-driver/ (Filters, Document.parse)
import com.mongodb.BasicDBObject;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import javax.servlet.http.HttpServletRequest;
import org.bson.Document;

class NoSql {
    MongoCollection<Document> users;

    Document byFilter(HttpServletRequest req) {
        Document filter = Document.parse(req.getParameter("filter")); // codetable: expect security.nosql-injection.request-object
        return users.find(filter).first();
    }

    Document byJson(HttpServletRequest req) {
        String json = "{\"name\": \"" + req.getParameter("name") + "\"}";
        return users.find(BasicDBObject.parse(json)).first(); // codetable: expect security.nosql-injection.request-object
    }

    Document where(HttpServletRequest req) {
        return users.find(Filters.where("this.name == '" + req.getParameter("name") + "'")).first(); // codetable: expect security.nosql-injection.where-string
    }

    Document whereDoc(HttpServletRequest req) {
        return users.find(new Document("$where", "this.age > " + req.getParameter("age"))).first(); // codetable: expect security.nosql-injection.where-string
    }

    // Fixed forms.
    Document byName(HttpServletRequest req) {
        return users.find(Filters.eq("name", req.getParameter("name"))).first(); // codetable: ok security.nosql-injection.request-object
    }

    Document constantFilter() {
        return users.find(Document.parse("{\"active\": true}")).first(); // codetable: ok security.nosql-injection.request-object
    }

    Document constantWhere() {
        return users.find(Filters.where("this.age > 18")).first(); // codetable: ok security.nosql-injection.where-string
    }
}
