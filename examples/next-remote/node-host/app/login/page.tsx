export const dynamic = 'force-dynamic'

export default async function Login({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; error?: string }>
}) {
  const { next, error } = await searchParams
  return (
    <main>
      <h1>Sign in at the Next host</h1>
      {error ? <p id="error">Wrong username or password.</p> : null}
      <form method="post" action="/login/submit">
        <input type="hidden" name="next" value={next ?? '/'} />
        <p>
          <label>
            Username <input name="username" required />
          </label>
        </p>
        <p>
          <label>
            Password <input name="password" type="password" required />
          </label>
        </p>
        <button type="submit">Sign in</button>
      </form>
    </main>
  )
}
