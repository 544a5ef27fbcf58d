/**
 * Prints one plain closing line, "Tests: N passed, N failed, N skipped", after everything jest
 * prints, so that tools reading the end of a CI log see the counts in the usual form. Jest's own
 * summary comes from a reporter that runs after this one, hence the exit hook.
 */
class CountReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results
    const line = `Tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`
    process.once('exit', () => process.stderr.write(line))
  }
}
module.exports = CountReporter
