// Code injection (CWE-94, CWE-917), after https://cwe.mitre.org/data/definitions/94.html,
// https://cwe.mitre.org/data/definitions/917.html and
// https://docs.spring.io/spring-framework/reference/core/expressions.html (SimpleEvaluationContext)
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;
import groovy.lang.GroovyShell;
import ognl.Ognl;
import org.mvel2.MVEL;

class Eval {
    Object js(String code) throws Exception {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");
        return engine.eval(code); // codetable: expect security.code-injection.eval
    }

    Object spel(String expr) {
        ExpressionParser parser = new SpelExpressionParser();
        return parser.parseExpression(expr).getValue(); // codetable: expect security.code-injection.eval
    }

    Object spelInline(String expr) {
        return new SpelExpressionParser().parseExpression(expr).getValue(); // codetable: expect security.code-injection.eval
    }

    Object groovy(String script) {
        return new GroovyShell().evaluate(script); // codetable: expect security.code-injection.eval
    }

    Object concatenated(ScriptEngine engine, String name) throws Exception {
        return engine.eval("greet('" + name + "')"); // codetable: expect security.code-injection.eval
    }

    // Fixed forms.
    Object spelSimple(String expr, Object root) {
        ExpressionParser parser = new SpelExpressionParser();
        return parser.parseExpression(expr).getValue(SimpleEvaluationContext.forReadOnlyDataBinding().build(), root); // codetable: ok security.code-injection.eval
    }

    Object constant(ScriptEngine engine) throws Exception {
        return engine.eval("1 + 2"); // codetable: ok security.code-injection.eval
    }
}

// Session 8: engines and shells handed in, MVEL and OGNL (CWE-94/95; OWASP Code Injection;
// GroovyShell.evaluate, MVEL.eval and Ognl.getValue evaluate their string argument as code).
class EvalSession8 {
    Object groovy(String script) {
        GroovyShell shell = new GroovyShell();
        return shell.evaluate(script); // codetable: expect security.code-injection.eval
    }

    Object mvel(String expr, java.util.Map<String, Object> vars) {
        return MVEL.eval(expr, vars); // codetable: expect security.code-injection.eval
    }

    Object ognl(String expr, Object root) throws Exception {
        return Ognl.getValue(expr, root); // codetable: expect security.code-injection.eval
    }

    Object constantMvel(java.util.Map<String, Object> vars) {
        return MVEL.eval("a + b", vars); // codetable: ok security.code-injection.eval
    }

    Object engineConstant(ScriptEngine engine) throws Exception {
        return engine.eval("1 + 1"); // codetable: ok security.code-injection.eval
    }
}

