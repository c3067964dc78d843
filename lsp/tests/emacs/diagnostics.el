;;; diagnostics.el --- Emacs's eglot against `codetable lsp', headless  -*- lexical-binding: t -*-

;; Run by `make lsp-test': open a Python file with non-ASCII text before a finding, let eglot
;; start the server, read the diagnostics it shows through Flymake (position, severity, source
;; and message), type "sha256" over "md5" and read them again, then shut the server down.
;; Eglot speaks UTF-16 by default, so the positions checked here have been through the server's
;; conversion both ways.  Works with eglot built into Emacs >= 29 and with Debian's elpa-eglot
;; for Emacs 28.  Exits with status 1 on the first failure.
;;
;;   CODETABLE_BIN=target/debug/codetable emacs --batch -Q -l lsp/tests/emacs/diagnostics.el

;;; Code:

(require 'cl-lib)
(unless (require 'eglot nil t)
  ;; Emacs < 29: eglot from the distribution's ELPA folder (Debian: elpa-eglot).
  (require 'package)
  (add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
  (package-initialize)
  (require 'eglot))
(require 'flymake)
(require 'python)

(defvar codetable-bin (or (getenv "CODETABLE_BIN") (error "CODETABLE_BIN is not set")))
(defvar codetable-failed nil)

(defun codetable-check (ok fmt &rest args)
  "Fail the test with FMT and ARGS unless OK."
  (unless ok
    (setq codetable-failed t)
    (princ (concat "FAIL: " (apply #'format fmt args) "\n") #'external-debugging-output)
    (kill-emacs 1)))

(defun codetable-wait (pred seconds)
  "Wait up to SECONDS for PRED, letting processes and timers run; return PRED's value."
  (let ((deadline (+ (float-time) seconds)) (found nil))
    (while (and (not (setq found (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      (when (and (bound-and-true-p flymake-mode) (not (flymake-running-backends)))
        (flymake-start)))
    found))

(defun codetable-diagnostic (text)
  "The Flymake diagnostic of the current buffer whose message has TEXT.
Eglot shows `source [code]: message'."
  (cl-find-if (lambda (d) (string-match-p (regexp-quote text) (flymake-diagnostic-text d)))
              (flymake-diagnostics)))

(let* ((dir (make-temp-file "codetable-eglot-" t))
       (file (expand-file-name "hashes.py" dir))
       (line "x = 'é😀 ☕'; h = hashlib.md5(b'ü')"))
  (with-temp-file file
    (insert "import hashlib\n# naïve café\n" line "\n"))
  ;; A project folder of its own (eglot asks project.el for the root).
  (make-directory (expand-file-name ".git" dir))
  ;; The configuration lsp/README.md gives (initialization options included).
  (setq eglot-server-programs
        `((python-mode . (,codetable-bin "lsp" :initializationOptions (:minSeverity "low")))))
  (setq eglot-sync-connect t eglot-autoshutdown nil flymake-no-changes-timeout 0.05)
  (find-file file)
  (python-mode)
  ;; `M-x eglot' (eglot-ensure waits for a command loop, which batch mode has not).
  (apply #'eglot (eglot--guess-contact))
  (codetable-wait (lambda () (eglot-current-server)) 30)
  (codetable-check (eglot-current-server) "eglot did not connect to %s" codetable-bin)

  ;; 1. The file as opened: MD5, an error, where the text says (after "é😀 ☕", whose UTF-16
  ;; length differs from its length in characters).
  (let ((d (codetable-wait (lambda () (codetable-diagnostic "[security.weak-hash.md5]: Md MD5")) 30)))
    (codetable-check d "no MD5 diagnostic after opening: %S"
                     (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))
    (let ((start (save-excursion (goto-char (point-min))
                                 (search-forward "hashlib.md5") (match-beginning 0)))
          (end (save-excursion (goto-char (point-min)) (search-forward "md5(b'ü')"))))
      (codetable-check (= (flymake-diagnostic-beg d) start)
                       "MD5 starts at %d, expected %d" (flymake-diagnostic-beg d) start)
      (codetable-check (= (flymake-diagnostic-end d) end)
                       "MD5 ends at %d, expected %d" (flymake-diagnostic-end d) end))
    (codetable-check (eq (flymake-diagnostic-type d) 'eglot-error)
                     "MD5 is %S, not an error" (flymake-diagnostic-type d)))

  ;; 2. Type "sha256" over "md5" (each keystroke a didChange): the MD5 finding goes (SHA-256 is
  ;; an `info' pattern, off by default as in `codetable scan').
  (goto-char (point-min))
  (search-forward "hashlib.")
  ;; Eglot sends changes from an idle timer, which batch mode never runs: send each now.
  (delete-char 3)
  (eglot--signal-textDocument/didChange)
  (dolist (c (string-to-list "sha256"))
    (insert (char-to-string c))
    (eglot--signal-textDocument/didChange)
    (accept-process-output nil 0.01))
  (codetable-check
   (codetable-wait (lambda () (and (null (codetable-diagnostic "[security.weak-hash.md5]: Md MD5"))
                                   (string-match-p "hashlib\\.sha256" (buffer-string))))
                   30)
   "the MD5 diagnostic stayed after typing sha256: %S"
   (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))

  ;; 3. Back to md5 at once (one edit): the diagnostic is back, at the same place.
  (goto-char (point-min))
  (search-forward "sha256")
  (replace-match "md5")
  (eglot--signal-textDocument/didChange)
  (codetable-check (codetable-wait (lambda () (codetable-diagnostic "[security.weak-hash.md5]: Md MD5")) 30)
                   "no MD5 diagnostic after typing md5 again")

  (eglot-shutdown (eglot-current-server))
  (delete-directory dir t)
  (princ "emacs eglot: diagnostics read, edited and shut down\n")
  (kill-emacs (if codetable-failed 1 0)))

;;; diagnostics.el ends here
