-- wrk script of the s10 soak: end wrk after WRK_REQUESTS responses (run wrk with -t1, so the count
-- is the whole run's). wrk's own duration cannot be cut short from a script (the main thread sleeps
-- -d), so the process exits here; requests still in flight on other connections finish on the server.
local limit = tonumber(os.getenv("WRK_REQUESTS") or "0")
local n = 0
function response(status, headers, body)
    n = n + 1
    if n >= limit then os.exit(0) end
end
