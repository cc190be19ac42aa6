-- wrk script for scripts/loadtest.sh: POST /v1/screen, one query per request, cycling
-- through the JSON bodies in $BODIES (one object per line) with the key in $REDLINE_KEY.
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do
  bodies[#bodies + 1] = line
end
local headers = {
  ["Authorization"] = "Bearer " .. os.getenv("REDLINE_KEY"),
  ["Content-Type"] = "application/json",
}
local i = 0

function setup(thread)
  -- Threads start at different places in the list so they do not send the same names.
  thread:set("offset", math.random(#bodies))
end

function init(args)
  i = offset or 0
end

function request()
  i = i % #bodies + 1
  return wrk.format("POST", "/v1/screen", headers, bodies[i])
end
