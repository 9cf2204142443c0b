// The test Worker's main module: it exports the Durable Object class, as an app's Worker would.
export { ShareSessions } from '../src/durable-object.js'

export default {
  fetch: () => new Response('the test Worker'),
}
