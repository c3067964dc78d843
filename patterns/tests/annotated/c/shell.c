/* OS command injection (CWE-78), after the demonstrative examples of
 * https://cwe.mitre.org/data/definitions/78.html (system() on a concatenated command) and
 * https://wiki.sei.cmu.edu/confluence/display/c/ENV33-C.+Do+not+call+system() */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cat_file(const char *name) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "cat %s", name);
    system(cmd); // codetable: expect security.command-injection.shell
}

void list(const char *dir) {
    char cmd[256] = "ls ";
    strncat(cmd, dir, sizeof cmd - 4);
    FILE *p = popen(cmd, "r"); // codetable: expect security.command-injection.shell
    pclose(p);
}

void run(char *argv1) {
    execl("/bin/sh", "sh", "-c", argv1, (char *)0); // codetable: expect security.command-injection.shell
}

/* Fixed forms. */
void fixed(const char *name) {
    execlp("cat", "cat", "--", name, (char *)0); // codetable: ok security.command-injection.shell
}

void constant(void) {
    system("ls -l /tmp"); // codetable: ok security.command-injection.shell
}
