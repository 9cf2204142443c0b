/**
 * The Lua scripts behind every multi-key operation, each atomic on the
 * server. Keys a script derives from ids (children, parents, the user index)
 * share the id's hash tag, so on a cluster they live in the caller's slot.
 * Each script names its KEYS and ARGV at the top.
 */

import { USER_TAG_LENGTH } from '@share/core/store'

/**
 * Helpers shared by the scripts, under one store's key prefix. The prefix is
 * part of each script's text, not an argument: every request's read sends
 * one argument fewer (ioredis spends about 1.9k instructions on each).
 */
const prelude = (prefix: string) => `
local prefix = ${luaString(prefix)}
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

interface ScriptBody {
  readonly name: string
  readonly text: string
}
const body = (name: string, text: string): ScriptBody => ({ name, text })

/** A Lua string literal of any text: every byte as a decimal escape, so nothing in it is code. */
export function luaString(text: string): string {
  return `'${Array.from(new TextEncoder().encode(text), (byte) => `\\${byte}`).join('')}'`
}

/**
 * KEYS[1] record, KEYS[2] index (user's set for a host record, parent's
 * children set for a linked one), KEYS[3] parent record (or KEYS[1]).
 * ARGV[1] JSON, ARGV[2] version, ARGV[3] parent id or '', ARGV[4] user id,
 * ARGV[5] session id, ARGV[6] expiry (epoch ms).
 */
const CREATE = body(
  'create',
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
if ARGV[3] ~= '' and redis.call('EXISTS', KEYS[3]) == 0 then return 'parent-missing' end
redis.call('HSET', KEYS[1], 'd', ARGV[1], 'v', ARGV[2], 'p', ARGV[3], 'u', ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[6])
redis.call('SADD', KEYS[2], ARGV[5])
extend(KEYS[2], ARGV[6])
return 'created'
`,
)

/**
 * KEYS[1] record, KEYS[2] its index set. ARGV[1] expected version, ARGV[2]
 * new JSON, ARGV[3] new version, ARGV[4] new expiry (epoch ms).
 */
const COMPARE_AND_SET = body(
  'compare-and-set',
  `
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'd', ARGV[2], 'v', ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
extend(KEYS[2], ARGV[4])
return 1
`,
)

/**
 * KEYS[1] record. ARGV[1] the versions the caller holds, `<version>:<parent
 * version>` (`<version>:` for a host record), or '' when it holds none.
 * Returns 1 when those are still the versions (the caller's copy is
 * current: every write bumps `v`), else { record JSON, parent JSON or nil },
 * or nil when there is no record. A linked record whose parent is gone is
 * never "unchanged".
 */
const GET_WITH_PARENT = body(
  'get-with-parent',
  `
local fields = redis.call('HMGET', KEYS[1], 'v', 'p')
if not fields[1] then return false end
local parent = fields[2] and fields[2] ~= '' and key('s', fields[2])
if ARGV[1] ~= '' then
  local held = fields[1] .. ':'
  if parent then held = held .. (redis.call('HGET', parent, 'v') or 'gone') end
  if held == ARGV[1] then return 1 end
end
local record = redis.call('HGET', KEYS[1], 'd')
if not parent then return { record } end
return { record, redis.call('HGET', parent, 'd') }
`,
)

/** KEYS[1] record (for routing). ARGV[1] session id. Returns the deleted ids. */
const DELETE = body(
  'delete',
  `
local out = {}
drop(ARGV[1], out)
return out
`,
)

/** KEYS[1] an index set (user's or children). Returns the live records' JSON, pruning dead entries. */
const LIST = body(
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

/** KEYS[1] user's index set. ARGV[1] id to keep or ''. Returns the deleted ids. */
const DELETE_USER = body(
  'delete-user',
  `
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if id ~= ARGV[1] then drop(id, out) end
end
return out
`,
)

/** One store's scripts: the same bodies, with its prefix in the prelude. */
export interface StoreScripts {
  readonly create: LuaScript
  readonly compareAndSet: LuaScript
  readonly getWithParent: LuaScript
  readonly delete: LuaScript
  readonly list: LuaScript
  readonly deleteUser: LuaScript
}

/** The scripts of a store whose keys start with `prefix` (validated by `createKeys`). */
export function scriptsFor(prefix: string): StoreScripts {
  const head = prelude(prefix)
  const script = ({ name, text }: ScriptBody): LuaScript => ({ name, source: head + text })
  return {
    create: script(CREATE),
    compareAndSet: script(COMPARE_AND_SET),
    getWithParent: script(GET_WITH_PARENT),
    delete: script(DELETE),
    list: script(LIST),
    deleteUser: script(DELETE_USER),
  }
}
