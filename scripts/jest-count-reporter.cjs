/**
 * Prints one plain closing line, "Tests: N passed, N failed, N skipped", after jest's own summary,
 * so that tools reading the end of a CI log see the counts in the usual form. It writes to stderr,
 * as jest does, so it stays the last line.
 */
class CountReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results
    process.stderr.write(`Tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`)
  }
}
module.exports = CountReporter
