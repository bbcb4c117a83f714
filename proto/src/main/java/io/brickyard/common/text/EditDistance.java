package io.brickyard.common.text;

/**
 * Levenshtein distance, for "did you mean" suggestions: the spec reader's misspelt field names and
 * the gluster option table's misspelt option keys use this one definition.
 */
public final class EditDistance {
  private EditDistance() {}

  /** The number of single-character insertions, deletions or substitutions from {@code a} to {@code b}. */
  public static int between(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitution, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
