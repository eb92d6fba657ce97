/**
 * True when a local model file is this hub file: downloads land in `<models>/<owner>/<repo>/<file>`,
 * so the path ends with `/<owner>/<repo>/<file>` (with either slash). A same-named file from elsewhere
 * is not it; starting that download is refused by the host with a clear message instead.
 */
export function isHubFile(localPath: string, repo: string, file: string): boolean {
  return localPath.replace(/\\/g, '/').endsWith(`/${repo}/${file}`);
}
