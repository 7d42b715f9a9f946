// PIL's decompression-bomb limit (`Image.MAX_IMAGE_PIXELS` x 2, above which it refuses an image):
// the decoder's default and the CLI's (src/cli/limits.ts, raised with DENSEC_MAX_PIXELS).
// A module of its own so that the CLI's limits do not load the decoders.
export const pilMaxPixels = 2 * 89_478_485;
