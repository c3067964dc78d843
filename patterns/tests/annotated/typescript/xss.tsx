// Cross-site scripting in React (CWE-79), after https://cwe.mitre.org/data/definitions/79.html and
// https://react.dev/reference/react-dom/components/common#dangerously-setting-the-inner-html
import React from "react";
import DOMPurify from "dompurify";

export function Comment({ body }: { body: string }) {
  return <div dangerouslySetInnerHTML={{ __html: body }} />; // codetable: expect security.xss.inner-html
}

export function Bio({ bio }: { bio: string }) {
  const html = { __html: "<p>" + bio + "</p>" };
  return <div dangerouslySetInnerHTML={html} />; // codetable: expect security.xss.inner-html
}

// Fixed forms.
export function Safe({ body }: { body: string }) {
  return <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(body) }} />; // codetable: ok security.xss.inner-html
}

export function Text({ body }: { body: string }) {
  return <div>{body}</div>; // codetable: ok security.xss.inner-html
}
