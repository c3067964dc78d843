// SQL injection (CWE-89), after https://cwe.mitre.org/data/definitions/89.html,
// https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html and
// https://docs.oracle.com/javase/tutorial/jdbc/basics/prepared.html
import java.sql.*;
import javax.persistence.EntityManager;
import org.springframework.jdbc.core.JdbcTemplate;

class Sql {
    ResultSet byName(Connection conn, String name) throws SQLException {
        Statement st = conn.createStatement();
        return st.executeQuery("SELECT * FROM users WHERE name = '" + name + "'"); // codetable: expect security.sql-injection.string-built
    }

    void update(Statement st, String id) throws SQLException {
        st.executeUpdate("DELETE FROM orders WHERE id = " + id); // codetable: expect security.sql-injection.string-built
    }

    void execute(Statement st, String table) throws SQLException {
        st.execute("DROP TABLE " + table); // codetable: expect security.sql-injection.string-built
    }

    ResultSet format(Statement st, String name) throws SQLException {
        return st.executeQuery(String.format("SELECT * FROM users WHERE name = '%s'", name)); // codetable: expect security.sql-injection.string-built
    }

    ResultSet throughLocal(Connection conn, String item) throws SQLException {
        String query = "SELECT * FROM items WHERE owner = '" + item + "'";
        return conn.createStatement().executeQuery(query); // codetable: expect security.sql-injection.string-built
    }

    PreparedStatement preparedButConcatenated(Connection conn, String name) throws SQLException {
        return conn.prepareStatement("SELECT * FROM users WHERE name = '" + name + "'"); // codetable: expect security.sql-injection.string-built
    }

    ResultSet builder(Statement st, String sort) throws SQLException {
        StringBuilder sb = new StringBuilder("SELECT * FROM items ORDER BY ");
        sb.append(sort);
        return st.executeQuery(sb.toString()); // codetable: expect security.sql-injection.string-built
    }

    Object jpa(EntityManager em, String name) {
        return em.createQuery("SELECT u FROM User u WHERE u.name = '" + name + "'").getResultList(); // codetable: expect security.sql-injection.string-built
    }

    Object nativeQuery(EntityManager em, String id) {
        return em.createNativeQuery("SELECT * FROM users WHERE id = " + id).getResultList(); // codetable: expect security.sql-injection.string-built
    }

    Object spring(JdbcTemplate jdbc, String name) {
        return jdbc.queryForList("SELECT * FROM users WHERE name = '" + name + "'"); // codetable: expect security.sql-injection.string-built
    }

    void springUpdate(JdbcTemplate jdbc, String id) {
        jdbc.update("UPDATE users SET active = 0 WHERE id = " + id); // codetable: expect security.sql-injection.string-built
    }

    void batch(Statement st, String v) throws SQLException {
        st.addBatch("INSERT INTO log VALUES ('" + v + "')"); // codetable: expect security.sql-injection.string-built
    }

    // Fixed forms.
    ResultSet fixed(Connection conn, String name) throws SQLException {
        PreparedStatement ps = conn.prepareStatement("SELECT * FROM users WHERE name = ?"); // codetable: ok security.sql-injection.string-built
        ps.setString(1, name);
        return ps.executeQuery(); // codetable: ok security.sql-injection.string-built
    }

    Object fixedJpa(EntityManager em, String name) {
        return em.createQuery("SELECT u FROM User u WHERE u.name = :name").setParameter("name", name).getResultList(); // codetable: ok security.sql-injection.string-built
    }

    Object fixedSpring(JdbcTemplate jdbc, String name) {
        return jdbc.queryForList("SELECT * FROM users WHERE name = ?", name); // codetable: ok security.sql-injection.string-built
    }

    static final String TABLE = "users";

    ResultSet constantConcat(Statement st) throws SQLException {
        return st.executeQuery("SELECT * FROM " + TABLE + " WHERE active = 1"); // codetable: ok security.sql-injection.string-built
    }

    ResultSet constantLiteral(Statement st) throws SQLException {
        return st.executeQuery("SELECT count(*) " + "FROM users"); // codetable: ok security.sql-injection.string-built
    }
}

class SqlMore {
    ResultSet fixedCallable(Connection conn, String name) throws SQLException {
        CallableStatement cs = conn.prepareCall("{call find_user(?)}"); // codetable: ok security.sql-injection.string-built
        cs.setString(1, name);
        return cs.executeQuery();
    }

    Object fixedNamed(org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate jdbc, String name) {
        return jdbc.queryForList("SELECT * FROM users WHERE name = :name", java.util.Map.of("name", name)); // codetable: ok security.sql-injection.string-built
    }

    Object hibernate(org.hibernate.Session session, String name) {
        return session.createQuery("FROM User WHERE name = '" + name + "'").list(); // codetable: expect security.sql-injection.string-built
    }
}
