-- Neovim's built-in LSP client against `codetable lsp`, headless (run by `make lsp-test`):
-- open a Python file with non-ASCII text before a finding, read the diagnostics the server
-- pushes, type "md5" over "sha256", read them again, hover, then stop the server cleanly.
-- Neovim speaks UTF-16 and shows byte columns, so the columns checked here have been through
-- both conversions. Needs Neovim 0.7 or later; exits with status 1 on the first failure.
--
--   CODETABLE_BIN=target/debug/codetable nvim --headless -u NONE -i NONE \
--     -c 'luafile lsp/tests/nvim/diagnostics.lua'

local bin = assert(os.getenv("CODETABLE_BIN"), "CODETABLE_BIN is not set")
local dir = vim.fn.tempname()
vim.fn.mkdir(dir, "p")
local path = dir .. "/hashes.py"
local line = "x = 'é😀 ☕'; h = hashlib.sha256(b'ü')"
local typed = (line:gsub("sha256", "md5"))
vim.fn.writefile({ "import hashlib", "# naïve café", line }, path)

local function check(ok, message)
  if not ok then
    error(message, 2)
  end
end

local function main()
  vim.cmd("edit " .. path)
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "codetable",
    cmd = { bin, "lsp" },
    root_dir = dir,
    -- SHA-256 is an `info` pattern, off by default as in `codetable scan`: select the level.
    init_options = { extendSelect = { "info" } },
  })
  check(client_id ~= nil, "the client did not start")
  vim.lsp.buf_attach_client(buf, client_id)

  local function find(prefix)
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.message:sub(1, #prefix) == prefix then
        return d
      end
    end
    return nil
  end

  -- 1. The file as opened: SHA-256, a hint, at the byte column Neovim computed from UTF-16.
  check(vim.wait(20000, function() return find("Sh SHA-256 hash") ~= nil end, 20),
    "no SHA-256 diagnostic after opening")
  local opened = #vim.diagnostic.get(buf)
  local sha = find("Sh SHA-256 hash")
  local start = line:find("hashlib.sha256", 1, true) - 1 -- 0-based byte column
  check(sha.lnum == 2 and sha.col == start,
    ("SHA-256 diagnostic at %d:%d, expected 2:%d"):format(sha.lnum, sha.col, start))
  check(sha.severity == vim.diagnostic.severity.HINT, "SHA-256 is not a hint")
  check(sha.source == "codetable", "source is " .. tostring(sha.source))

  -- 2. Type "md5" over "sha256", one keystroke at a time (each one a didChange).
  local at = line:find("sha256", 1, true) - 1
  for k = 6, 1, -1 do
    vim.api.nvim_buf_set_text(buf, 2, at + k - 1, 2, at + k, {})
  end
  for i, ch in ipairs({ "m", "d", "5" }) do
    vim.api.nvim_buf_set_text(buf, 2, at + i - 1, 2, at + i - 1, { ch })
  end
  check(vim.api.nvim_buf_get_lines(buf, 2, 3, true)[1] == typed,
    "the buffer was not edited as expected")
  check(vim.wait(20000, function() return find("Md MD5 hash") ~= nil and find("Sh ") == nil end, 20),
    "no MD5 diagnostic after typing md5: " .. vim.inspect(vim.diagnostic.get(buf)))
  local md5 = find("Md MD5 hash")
  check(md5.lnum == 2 and md5.col == start, ("MD5 diagnostic at %d:%d"):format(md5.lnum, md5.col))
  local close = typed:find(")", 1, true) -- 1-based ')' = 0-based column after it
  check(md5.end_col == close, ("MD5 diagnostic ends at %d, expected %d"):format(md5.end_col, close))
  check(md5.severity == vim.diagnostic.severity.ERROR, "MD5 is not an error")

  -- 3. Hover on "md5": the property sheet.
  local params = vim.lsp.util.make_position_params()
  params.position = { line = 2, character = vim.str_utfindex(typed, at + 1) }
  local replies = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 10000)
  local reply = replies and replies[client_id]
  check(reply and reply.result, "no hover: " .. vim.inspect(replies))
  local value = reply.result.contents.value
  check(value:find("**Md** · **MD5 hash**", 1, true) == 1, "hover: " .. value)
  check(value:find("CWE-327", 1, true) ~= nil, "hover without CWE-327")

  -- 4. Stop: shutdown, then exit.
  vim.lsp.stop_client(client_id)
  check(vim.wait(10000, function() return vim.lsp.client_is_stopped(client_id) end, 20),
    "the server did not stop")
  io.stdout:write(("nvim-lsp-test: %d diagnostic(s) after opening, MD5 at 2:%d-%d after typing, hover ok\n")
    :format(opened, md5.col, md5.end_col))
end

-- Any failure (a check, or an error in the client) ends Neovim with status 1: a headless
-- Neovim left at an error would wait for input forever.
local ok, err = pcall(main)
vim.fn.delete(dir, "rf")
if not ok then
  io.stderr:write("nvim-lsp-test: FAILED: " .. tostring(err) .. "\n")
  vim.cmd("cquit 1")
end
vim.cmd("qall!")
