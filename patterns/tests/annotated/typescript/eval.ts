// Code injection (CWE-95), after https://cwe.mitre.org/data/definitions/95.html and
// https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/eval
export function calc(expr: string): unknown {
  return eval(expr); // codetable: expect security.code-injection.eval
}

export function compile(body: string): Function {
  return new Function("x", body); // codetable: expect security.code-injection.eval
}

export function later(code: string): void {
  setTimeout(code, 10); // codetable: expect security.code-injection.eval
}

export function typed(code: string): unknown {
  return (globalThis as any).eval(code); // codetable: expect security.code-injection.eval
}

// Fixed forms.
export function parse(text: string): unknown {
  return JSON.parse(text); // codetable: ok security.code-injection.eval
}

export function constant(): number {
  return eval("6 * 7"); // codetable: ok security.code-injection.eval
}

// Session 8: a string-typed argument is code to setInterval (MDN: the "code" form "is not
// recommended for the same reasons that make using eval() a security risk").
export function poll(code: string): void {
  setInterval(code, 1000); // codetable: expect security.code-injection.eval
}

export function pollFn(cb: () => void): void {
  setInterval(cb, 1000); // codetable: ok security.code-injection.eval
}
