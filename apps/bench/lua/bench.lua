-- wrk script of the sess bench. Env WRK_COOKIES names a file of Cookie header values, one per line: each
-- request then carries one picked at random (returning visitors). Without it the request is static.
-- done() prints one line "WRK_JSON {...}" that the runner parses.

local file = os.getenv("WRK_COOKIES")
if file ~= nil and file ~= "" then
  local cookies, count = {}, 0
  for line in io.lines(file) do
    if line ~= "" then
      count = count + 1
      cookies[count] = line
    end
  end
  math.randomseed(os.time())
  request = function()
    wrk.headers["Cookie"] = cookies[math.random(count)]
    return wrk.format(nil, nil, wrk.headers)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
