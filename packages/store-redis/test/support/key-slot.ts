/**
 * Redis Cluster's slot of a key, computed independently of the server for the layout tests: CRC16
 * (XMODEM: polynomial 0x1021, initial value 0) of the hash tag, or of the whole key without one, mod 16384.
 */
export function keySlot(key: string): number {
  const bytes = Buffer.from(hashTag(key));
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

/** The part of the key that is hashed: the text between the first `{` and the next `}`, when not empty. */
export function hashTag(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}
