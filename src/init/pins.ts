/**
 * Third-party actions the workflows use, pinned to full commit SHAs (a tag can be moved to other code; a
 * commit cannot). The tag each SHA was released as goes in a comment beside it. Taken from the actions'
 * own repositories (lightweight tags pointing at these commits); update all workflows together.
 */
export const ACTION_PINS = {
  checkout: { uses: 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1', tag: 'v7.0.1' },
  setupNode: { uses: 'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020', tag: 'v7.0.0' },
  cacheRestore: { uses: 'actions/cache/restore@27d5ce7f107fe9357f9df03efb73ab90386fccae', tag: 'v5.0.5' },
  cacheSave: { uses: 'actions/cache/save@27d5ce7f107fe9357f9df03efb73ab90386fccae', tag: 'v5.0.5' },
  uploadArtifact: { uses: 'actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', tag: 'v7.0.0' },
  stickyComment: { uses: 'marocchino/sticky-pull-request-comment@5770ad5eb8f42dd2c4f34da00c94c5381e49af88', tag: 'v3.0.5' },
} as const;

/** `uses: <owner/repo@sha> # <tag>` as one YAML value. */
export function pinned(p: { uses: string; tag: string }): string {
  return `${p.uses} # ${p.tag}`;
}
