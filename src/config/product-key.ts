import { INPUT } from '../contract/names.js'
import { ActionError, invalidInput } from '../contract/action-error.js'
import type { InputReader } from './readers.js'

// Not documented as such; product keys seen in the wild fit well inside this.
const PRODUCT_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/** `product-key`, required by every action. */
export function readProductKey(read: InputReader): string {
  const productKey = read(INPUT.productKey).trim()
  if (productKey === '') {
    throw new ActionError(`Input '${INPUT.productKey}' is required: the ProductKey the package belongs to.`, {
      input: INPUT.productKey,
      hint: 'Find it in the IoT Platform console under Devices > Products.'
    })
  }
  if (!PRODUCT_KEY_PATTERN.test(productKey)) {
    throw invalidInput(INPUT.productKey, productKey, 'must be 1 to 64 letters, digits, "_" or "-"')
  }
  return productKey
}
