// A C string copied into a block allocated for the same string (CWE-120), after
// https://wiki.sei.cmu.edu/confluence/display/c/STR31-C.+Guarantee+that+storage+for+strings+has+sufficient+space+for+character+data+and+the+null+terminator:
// `new char[str.length() + 1]` holds `*str` (a Nan::Utf8String's characters), a block sized for
// another string does not.
#include <cstring>
#include <nan.h>

char *NewCString(v8::Local<v8::Value> val) {
    Nan::Utf8String str(val);
    char *buffer = new char[str.length() + 1];
    strcpy(buffer, *str); // codetable: ok security.memory.unbounded-copy
    return buffer;
}

char *NewJoined(v8::Local<v8::Value> val, v8::Local<v8::Value> other) {
    Nan::Utf8String str(val);
    Nan::Utf8String more(other);
    char *buffer = new char[str.length() + 1];
    strcpy(buffer, *more); // codetable: expect security.memory.unbounded-copy
    return buffer;
}
