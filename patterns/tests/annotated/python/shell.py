# OS command injection (CWE-78), after https://cwe.mitre.org/data/definitions/78.html,
# https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html and
# https://docs.python.org/3/library/subprocess.html#security-considerations
import os
import subprocess
import shlex
from subprocess import Popen, check_output


def ping(host):
    os.system("ping -c 1 " + host)  # codetable: expect security.command-injection.shell


def listing(folder):
    return os.popen(f"ls -l {folder}").read()  # codetable: expect security.command-injection.shell


def run_shell(name):
    subprocess.run("grep %s /etc/passwd" % name, shell=True)  # codetable: expect security.command-injection.shell


def call_shell(path):
    subprocess.call("cat " + path, shell=True)  # codetable: expect security.command-injection.shell


def popen_shell(arg):
    Popen(f"convert {arg} out.png", shell=True)  # codetable: expect security.command-injection.shell


def check_output_shell(user):
    return check_output("id " + user, shell=True)  # codetable: expect security.command-injection.shell


def through_local(host):
    cmd = "nslookup " + host
    os.system(cmd)  # codetable: expect security.command-injection.shell


def through_local_run(pattern):
    command = f"find / -name {pattern}"
    subprocess.run(command, shell=True)  # codetable: expect security.command-injection.shell


def shell_flag_in_kwargs(arg, **opts):
    opts["shell"] = True
    subprocess.run("tar xf " + arg, **opts)  # codetable: expect security.command-injection.shell


def getoutput(host):
    return subprocess.getoutput("dig " + host)  # codetable: expect security.command-injection.shell


def spawn(path):
    os.execl("/bin/sh", "sh", "-c", "rm " + path)  # codetable: expect security.command-injection.shell


def dynamic_import(cmd):
    __import__("os").system("echo " + cmd)  # codetable: expect security.command-injection.shell


# Fixed forms: an argument list without a shell, quoting, constants.
def fixed_list(host):
    subprocess.run(["ping", "-c", "1", host])  # codetable: ok security.command-injection.shell


def fixed_list_check(user):
    return subprocess.check_output(["id", "--", user])  # codetable: ok security.command-injection.shell


def fixed_quote(path):
    subprocess.run("cat " + shlex.quote(path), shell=True)  # codetable: ok security.command-injection.shell


def constant_command():
    os.system("ls -l /tmp")  # codetable: ok security.command-injection.shell


def constant_shell():
    subprocess.run("echo hello | wc -c", shell=True)  # codetable: ok security.command-injection.shell


def constant_fstring():
    os.system(f"uptime")  # codetable: ok security.command-injection.shell


def shell_false(arg):
    subprocess.run(["echo", arg], shell=False)  # codetable: ok security.command-injection.shell


def shell_join(args):
    subprocess.run(shlex.join(["ls", "-l", *args]), shell=True)  # codetable: ok security.command-injection.shell


def list_with_env(path, env):
    subprocess.Popen(["cat", path], env=env)  # codetable: ok security.command-injection.shell


def execvp(prog_args):
    os.execvp("git", ["git", "log", *prog_args])  # codetable: ok security.command-injection.shell


def spawn_shell(name):
    os.spawnlp(os.P_WAIT, "sh", "sh", "-c", "id " + name)  # codetable: expect security.command-injection.shell


def asyncio_shell(asyncio, host):
    return asyncio.create_subprocess_shell("ping -c 1 " + host)  # codetable: expect security.command-injection.shell


# Reached dynamically (https://docs.python.org/3/library/functions.html#import__).
def module_in_local(host):
    m = __import__("os")
    m.system("ping -c 1 " + host)  # codetable: expect security.command-injection.shell


def getattr_of_import(host):
    getattr(__import__("os"), "system")("ping -c 1 " + host)  # codetable: expect security.command-injection.shell


def constant_dynamic():
    __import__("os").system("uptime")  # codetable: ok security.command-injection.shell


# A hook filled with placeholders quoted whenever they are set (session 10): the unquoted
# definition reaches the command only as the empty string.
class Storage:
    def run_hook(self, user, **kwargs):
        to_path = kwargs.get("to_path", "")
        if to_path != "":
            to_path = shlex.quote(to_path)
        command = self._hook % {"user": shlex.quote(user or "anonymous"), "to_path": to_path}
        subprocess.Popen(command, shell=True)  # codetable: ok security.command-injection.shell
        target = kwargs.get("target", "")
        if target:
            print("hook target", target)
        subprocess.Popen(self._hook % {"target": target}, shell=True)  # codetable: expect security.command-injection.shell
