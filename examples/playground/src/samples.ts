// One sample snippet per language: what the editor shows when a language is picked. Each one
// contains something the default catalog knows where the catalog covers the language.
export const SAMPLES: Record<string, string> = {
  python: `import hashlib

# Non-ASCII is fine (é, ü, 😀): offsets are UTF-16 in the editor, bytes in the engine.
def cache_key(payload: bytes) -> str:
    return hashlib.md5(payload).hexdigest()


def integrity(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()
`,
  javascript: `const crypto = require('crypto');

function etag(body) {
  // ✨ an ETag, but MD5 is also used for signatures elsewhere
  return crypto.createHash('md5').update(body).digest('hex');
}

module.exports = { etag };
`,
  typescript: `import { createHash } from "crypto";

export function digest(body: string): string {
  return createHash("sha256").update(body).digest("hex");
}
`,
  tsx: `export function Badge({ label }: { label: string }) {
  return <span className="badge">{label} ✓</span>;
}
`,
  java: `import java.security.MessageDigest;

class Hasher {
    byte[] hash(byte[] data) throws Exception {
        return MessageDigest.getInstance("MD5").digest(data);
    }
}
`,
  kotlin: `import java.security.MessageDigest

fun hash(data: ByteArray): ByteArray = MessageDigest.getInstance("MD5").digest(data)
`,
  go: `package main

import (
	"crypto/md5"
	"crypto/sha256"
)

func weak(b []byte) [16]byte {
	return md5.Sum(b)
}

func strong(b []byte) [32]byte {
	return sha256.Sum256(b)
}
`,
  rust: `use std::collections::HashMap;

/// Counts words — “smart quotes” and 🦀 included.
pub fn count(text: &str) -> HashMap<&str, usize> {
    let mut out = HashMap::new();
    for w in text.split_whitespace() {
        *out.entry(w).or_insert(0) += 1;
    }
    out
}
`,
  c: `#include <string.h>

void copy_name(char *dst, const char *src) {
    strcpy(dst, src);
}
`,
  cpp: `#include <vector>

int sum(const std::vector<int>& v) {
    int total = 0;
    for (int x : v) total += x;
    return total;
}
`,
};

/** A multi-file sample for design patterns: an observer across three TypeScript files (a design
 *  pattern is several types in several files, so it is found over a project, not one editor). */
export const DESIGN_SAMPLE: { path: string; text: string }[] = [
  {
    path: "src/listener.ts",
    text: `// Écouteur — notified on every click 🔔
export interface Listener {
  clicked(count: number): void;
}
`,
  },
  {
    path: "src/logger.ts",
    text: `import { Listener } from "./listener";

export class Logger implements Listener {
  clicked(count: number): void {
    console.log(\`clicked \${count}×\`);
  }
}
`,
  },
  {
    path: "src/button.ts",
    text: `import { Listener } from "./listener";

export class Button {
  private listeners: Listener[] = [];
  private count = 0;

  subscribe(l: Listener): void {
    this.listeners.push(l);
  }

  unsubscribe(l: Listener): void {
    this.listeners = this.listeners.filter((x) => x !== l);
  }

  click(): void {
    this.count++;
    for (const l of this.listeners) {
      l.clicked(this.count);
    }
  }
}
`,
  },
];
