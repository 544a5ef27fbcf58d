import { INPUT } from '../contract/names.js'
import { type InputReader, readId } from './readers.js'

/** `product-key`, required by every action. */
export function readProductKey(read: InputReader): string {
  return readId(read, INPUT.productKey, 'the ProductKey the package belongs to', 'Find it in the IoT Platform console under Devices > Products.')
}
