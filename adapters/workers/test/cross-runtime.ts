/** The public test key and audience both runtimes use for the cross-runtime token checks. */
export const CROSS_KEY = 'share_sk1_AAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK-2vcTL0tk'
export const CROSS_AUDIENCE = 'https://app.example.com'
