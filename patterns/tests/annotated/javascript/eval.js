// Code injection (CWE-94, CWE-95), after https://cwe.mitre.org/data/definitions/95.html,
// https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/eval#never_use_direct_eval!
// and https://nodejs.org/api/vm.html (vm is not a security mechanism)
const vm = require("vm");

function calc(req) {
  return eval(req.body.expr); // codetable: expect security.code-injection.eval
}

function makeFn(body) {
  return new Function("a", "b", body); // codetable: expect security.code-injection.eval
}

function makeFnCall(body) {
  return Function(body)(); // codetable: expect security.code-injection.eval
}

function timer(code) {
  setTimeout(code, 100); // codetable: expect security.code-injection.eval
}

function interval(code) {
  setInterval("tick(" + code + ")", 1000); // codetable: expect security.code-injection.eval
}

function sandbox(code) {
  return vm.runInNewContext(code, {}); // codetable: expect security.code-injection.eval
}

function script(code) {
  return new vm.Script(code).runInThisContext(); // codetable: expect security.code-injection.eval
}

function aliased(code) {
  const F = Function;
  return new F(code); // codetable: expect security.code-injection.eval
}

function indirect(code) {
  return (0, eval)(code); // codetable: expect security.code-injection.eval
}

function viaWindow(code) {
  return globalThis.eval(code); // codetable: expect security.code-injection.eval
}

// Fixed forms.
function parse(text) {
  return JSON.parse(text); // codetable: ok security.code-injection.eval
}

function constantEval() {
  return eval("2 + 2"); // codetable: ok security.code-injection.eval
}

function timerFn(fn) {
  setTimeout(() => fn(), 100); // codetable: ok security.code-injection.eval
}

function timerRef(fn) {
  setTimeout(fn, 100); // codetable: ok security.code-injection.eval
}

module.exports = { calc, makeFn };

function fixedVmConstant() {
  return vm.runInNewContext("1 + 1", {}); // codetable: ok security.code-injection.eval
}

function fixedNumber(text) {
  return Number(text); // codetable: ok security.code-injection.eval
}

function vmCompile(code) {
  return vm.compileFunction(code, []); // codetable: expect security.code-injection.eval
}
