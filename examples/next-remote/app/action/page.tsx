export default async function ActionResult({
  searchParams,
}: {
  searchParams: Promise<{ user?: string }>
}) {
  const { user } = await searchParams
  return (
    <main>
      <p>
        The Server Action saw: <span id="action-user">{user ?? ''}</span>
      </p>
    </main>
  )
}
