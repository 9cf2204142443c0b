/** The scenario apps' origins: `*.localhost`, so a browser treats each as its own site. */
export const HOST_ORIGIN = 'http://idp.localhost:4000'
export const REMOTE_ORIGIN = 'http://app-a.localhost:4001'
