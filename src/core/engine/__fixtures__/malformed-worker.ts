/** A worker that answers every request with a message that breaks the protocol, for the host's tests. */
process.on('message', (raw: unknown) => {
  const message = (typeof raw === 'object' && raw !== null ? raw : {}) as { id?: unknown; type?: unknown };
  if (message.type === 'dispose') process.exit(0);
  const id = message.id;
  // `status` without its body, and stream text that is not text.
  process.send?.({ type: 'status', id });
  process.send?.({ type: 'text', id, text: 42 });
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready', pid: process.pid });
