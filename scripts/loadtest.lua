-- wrk script of scripts/loadtest.sh: GET /api/search through the queries of a file (one a line,
-- its path given after `--`), each thread starting at its own place in the list; at the end,
-- throughput, latency percentiles and errors, one line each, as BENCHMARKS.md records them.
-- wrk counts every status from 400 up as an error; a query of stop words only is a 400 by
-- design (`empty_query`), so 4xx and 5xx are counted apart.

local paths = {}
local next_path = 1
local threads = {}
-- Globals, so that done() can read each thread's with thread:get.
client_errors, server_errors = 0, 0

-- Bytes outside the unreserved set, UTF-8 included, as %XX.
local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_number", #threads)
end

function init(args)
  local file = assert(io.open(args[1] or "queries.txt"), "a file of queries, one a line")
  for line in file:lines() do
    if line ~= "" then
      paths[#paths + 1] = "/api/search?q=" .. encode(line)
    end
  end
  file:close()
  assert(#paths > 0, "no queries in the file")
  next_path = ((thread_number or 1) * 7919) % #paths + 1
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  elseif status >= 400 then
    client_errors = client_errors + 1
  end
end

function request()
  local path = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("requests: %d in %.1f s, %.0f/s\n",
    summary.requests, seconds, summary.requests / seconds))
  io.write(string.format("latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  local c4, c5 = 0, 0
  for _, thread in ipairs(threads) do
    c4 = c4 + thread:get("client_errors")
    c5 = c5 + thread:get("server_errors")
  end
  io.write(string.format("errors: connect %d, read %d, write %d, timeout %d, 5xx %d; 4xx %d\n",
    e.connect, e.read, e.write, e.timeout, c5, c4))
end
