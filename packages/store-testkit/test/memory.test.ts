import { createMemoryStore } from '@share/core'
import { testSessionStore } from '../src/index.js'

// The reference store runs the suite first: it is the executable specification.
testSessionStore({
  name: 'memory (core)',
  time: 'virtual',
  create: ({ now }) => createMemoryStore({ now }),
})
