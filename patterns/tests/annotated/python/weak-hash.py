# Weak hashes (CWE-327, CWE-328), after https://cwe.mitre.org/data/definitions/328.html,
# https://docs.python.org/3/library/hashlib.html (new(name), usedforsecurity=False) and the OWASP
# Password Storage Cheat Sheet.
import hashlib


def digests(data):
    a = hashlib.md5(data).hexdigest()  # codetable: expect security.weak-hash.md5
    b = hashlib.new("MD5", data).hexdigest()  # codetable: expect security.weak-hash.md5
    c = getattr(hashlib, "md5")(data).hexdigest()  # codetable: expect security.weak-hash.md5
    alg = "sha1"
    d = hashlib.new(alg, data).hexdigest()  # codetable: expect security.weak-hash.sha1
    e = hashlib.sha1(data).digest()  # codetable: expect security.weak-hash.sha1
    return a, b, c, d, e


def fixed(data, url):
    a = hashlib.sha256(data).hexdigest()  # codetable: ok security.weak-hash.md5, security.weak-hash.sha1
    b = hashlib.new("sha256", data).hexdigest()  # codetable: ok security.weak-hash.md5, security.weak-hash.sha1
    c = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()  # codetable: ok security.weak-hash.md5
    d = hashlib.new("md5", url.encode(), usedforsecurity=False).hexdigest()  # codetable: ok security.weak-hash.md5
    return a, b, c, d
