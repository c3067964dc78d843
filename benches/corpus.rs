//! Generated benchmark sources: realistic, deterministic, permissively ours (no licence needed).
//!
//! A 5,000-line Python module (classes with methods, free functions, comprehensions, calls
//! through imported modules) and a 10,000-line Java file (one large service class with nested
//! types, as real Java files are).

#![allow(dead_code)]

/// Python source of at least `lines` lines.
pub fn python(lines: usize) -> String {
    let mut s = String::from(
        "import hashlib\nimport json\nimport os\nimport subprocess\nfrom collections import defaultdict\n\n\n",
    );
    let mut i = 0;
    while s.lines().count() < lines {
        if i % 3 == 0 {
            s.push_str(&format!(
                "class Service{i}:\n    \"\"\"Service number {i}.\"\"\"\n\n    def __init__(self, name, retries=3):\n        self.name = name\n        self.retries = retries\n        self.cache = {{}}\n\n    def fetch(self, key):\n        if key in self.cache:\n            return self.cache[key]\n        value = self.load(key)\n        self.cache[key] = value\n        return value\n\n    def load(self, key):\n        path = os.path.join('/tmp', str(key))\n        with open(path) as fh:\n            return json.load(fh)\n\n    def digest(self, data):\n        return hashlib.sha256(data.encode('utf-8')).hexdigest()\n\n\n"
            ));
        } else {
            s.push_str(&format!(
                "def process_{i}(items, threshold=10):\n    totals = defaultdict(int)\n    for item in items:\n        if item.value > threshold and item.name != 'skip':\n            totals[item.name] += item.value * {i}\n        elif item.value == 0:\n            continue\n    result = [k for k, v in totals.items() if v % 2 == 0]\n    out = subprocess.run(['echo', str(len(result))], capture_output=True)\n    return sorted(result), out.returncode\n\n\n"
            ));
        }
        i += 1;
    }
    s
}

/// Java source of at least `lines` lines.
pub fn java(lines: usize) -> String {
    let mut s = String::from(
        "package bench;\n\nimport java.security.MessageDigest;\nimport java.util.ArrayList;\nimport java.util.HashMap;\nimport java.util.List;\nimport java.util.Map;\n\npublic class BigService {\n    private final Map<String, Integer> counts = new HashMap<>();\n    private static BigService instance;\n\n",
    );
    let mut i = 0;
    while s.lines().count() < lines {
        if i % 10 == 9 {
            s.push_str(&format!(
                "    static class Node{i} {{\n        private final String name;\n        private final List<Node{i}> children = new ArrayList<>();\n\n        Node{i}(String name) {{\n            this.name = name;\n        }}\n\n        int size() {{\n            int total = 1;\n            for (Node{i} child : children) {{\n                total += child.size();\n            }}\n            return total;\n        }}\n    }}\n\n"
            ));
        } else {
            s.push_str(&format!(
                "    public int compute{i}(List<String> items, int limit) throws Exception {{\n        int total = 0;\n        for (String item : items) {{\n            if (item == null || item.isEmpty()) {{\n                continue;\n            }}\n            Integer seen = counts.get(item);\n            if (seen != null && seen > limit) {{\n                total += seen * {i};\n            }} else {{\n                counts.put(item, item.length());\n            }}\n        }}\n        MessageDigest md = MessageDigest.getInstance(\"SHA-256\");\n        md.update(String.valueOf(total).getBytes());\n        return total + md.digest().length;\n    }}\n\n"
            ));
        }
        i += 1;
    }
    s.push_str("}\n");
    s
}
