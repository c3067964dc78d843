// Cross-site scripting (CWE-79), after https://cwe.mitre.org/data/definitions/79.html,
// https://angular.dev/best-practices/security#bypass-security-apis and
// https://cheatsheetseries.owasp.org/cheatsheets/DOM_based_XSS_Prevention_Cheat_Sheet.html
import { DomSanitizer, SafeHtml } from "@angular/platform-browser";

export class Profile {
  constructor(private sanitizer: DomSanitizer) {}

  bio(html: string): SafeHtml {
    return this.sanitizer.bypassSecurityTrustHtml(html); // codetable: expect security.xss.marked-safe
  }

  script(src: string) {
    return this.sanitizer.bypassSecurityTrustResourceUrl(src); // codetable: expect security.xss.marked-safe
  }

  render(el: HTMLElement, name: string): void {
    el.innerHTML = `<b>${name}</b>`; // codetable: expect security.xss.inner-html
  }

  renderLocal(el: HTMLElement, comment: string): void {
    const markup = "<li>" + comment + "</li>";
    el.insertAdjacentHTML("beforeend", markup); // codetable: expect security.xss.inner-html
  }

  renderHash(): void {
    (document.getElementById("out") as HTMLElement).innerHTML = decodeURIComponent(location.hash.slice(1)); // codetable: expect security.xss.inner-html
  }

  // Fixed forms.
  renderText(el: HTMLElement, name: string): void {
    el.textContent = name; // codetable: ok security.xss.inner-html
  }

  constantHtml(el: HTMLElement): void {
    el.innerHTML = "<hr>"; // codetable: ok security.xss.inner-html
  }

  constantTrust(): SafeHtml {
    return this.sanitizer.bypassSecurityTrustHtml("<b>static</b>"); // codetable: ok security.xss.marked-safe
  }
}
