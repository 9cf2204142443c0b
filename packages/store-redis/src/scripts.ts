/**
 * The Lua scripts behind every multi-key operation, each atomic on the
 * server. Keys a script derives from ids (children, parents, the user index)
 * share the id's hash tag, so on a cluster they live in the caller's slot.
 * Each script names its KEYS and ARGV at the top.
 */

import { USER_TAG_LENGTH } from '@share/core/store'

/** Helpers shared by the scripts; ARGV[1] is always the key prefix. */
const PRELUDE = `
local prefix = ARGV[1]
local function key(kind, id) return prefix .. '{' .. string.sub(id, 1, ${USER_TAG_LENGTH}) .. '}' .. kind .. ':' .. id end
local function extend(k, at)
  if redis.call('PEXPIRETIME', k) < tonumber(at) then redis.call('PEXPIREAT', k, at) end
end
-- Deletes a session, its children and its index entry; appends deleted ids to out.
local function drop(id, out)
  local rkey = key('s', id)
  local fields = redis.call('HMGET', rkey, 'p', 'u')
  local ckey = key('c', id)
  for _, child in ipairs(redis.call('SMEMBERS', ckey)) do drop(child, out) end
  redis.call('DEL', ckey)
  if redis.call('DEL', rkey) == 1 then
    table.insert(out, id)
    if fields[1] and fields[1] ~= '' then
      redis.call('SREM', key('c', fields[1]), id)
    elseif fields[2] then
      redis.call('SREM', prefix .. '{' .. string.sub(id, 1, ${USER_TAG_LENGTH}) .. '}u:' .. fields[2], id)
    end
  end
end
`

export interface LuaScript {
  readonly name: string
  readonly source: string
}

const script = (name: string, body: string): LuaScript => ({ name, source: PRELUDE + body })

/**
 * KEYS[1] record, KEYS[2] index (user's set for a host record, parent's
 * children set for a linked one), KEYS[3] parent record (or KEYS[1]).
 * ARGV[2] JSON, ARGV[3] version, ARGV[4] parent id or '', ARGV[5] user id,
 * ARGV[6] session id, ARGV[7] expiry (epoch ms).
 */
export const CREATE = script(
  'create',
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
if ARGV[4] ~= '' and redis.call('EXISTS', KEYS[3]) == 0 then return 'parent-missing' end
redis.call('HSET', KEYS[1], 'd', ARGV[2], 'v', ARGV[3], 'p', ARGV[4], 'u', ARGV[5])
redis.call('PEXPIREAT', KEYS[1], ARGV[7])
redis.call('SADD', KEYS[2], ARGV[6])
extend(KEYS[2], ARGV[7])
return 'created'
`,
)

/**
 * KEYS[1] record, KEYS[2] its index set. ARGV[2] expected version, ARGV[3]
 * new JSON, ARGV[4] new version, ARGV[5] new expiry (epoch ms).
 */
export const COMPARE_AND_SET = script(
  'compare-and-set',
  `
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'd', ARGV[3], 'v', ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[5])
extend(KEYS[2], ARGV[5])
return 1
`,
)

/** KEYS[1] record. Returns { record JSON, parent JSON or nil } or nil. */
export const GET_WITH_PARENT = script(
  'get-with-parent',
  `
local fields = redis.call('HMGET', KEYS[1], 'd', 'p')
if not fields[1] then return false end
if not fields[2] or fields[2] == '' then return { fields[1] } end
return { fields[1], redis.call('HGET', key('s', fields[2]), 'd') }
`,
)

/** KEYS[1] record (for routing). ARGV[2] session id. Returns the deleted ids. */
export const DELETE = script(
  'delete',
  `
local out = {}
drop(ARGV[2], out)
return out
`,
)

/** KEYS[1] an index set (user's or children). Returns the live records' JSON, pruning dead entries. */
export const LIST = script(
  'list',
  `
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local d = redis.call('HGET', key('s', id), 'd')
  if d then table.insert(out, d) else redis.call('SREM', KEYS[1], id) end
end
return out
`,
)

/** KEYS[1] user's index set. ARGV[2] id to keep or ''. Returns the deleted ids. */
export const DELETE_USER = script(
  'delete-user',
  `
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if id ~= ARGV[2] then drop(id, out) end
end
return out
`,
)

export const ALL_SCRIPTS = [CREATE, COMPARE_AND_SET, GET_WITH_PARENT, DELETE, LIST, DELETE_USER]
