import { ActionError } from '../../src/contract/action-error.js'

/** The ActionError a call throws, failing the test when it throws nothing or something else. */
export function actionErrorOf(fn: () => unknown): ActionError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ActionError) return error
    throw error
  }
  throw new Error('expected an ActionError, got a result')
}
