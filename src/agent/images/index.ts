/**
 * Container images for the agent: pull from any distribution registry, unpack once per layer,
 * ready to mount with overlayfs (`PulledImage.layerDirs` are the lowerdirs, bottom to top).
 */
export { parseImageRef, type ImageRef } from './image-ref.js';
export { ImageStore, type ImageStoreOptions, type PullOptions, type PulledImage } from './image-store.js';
export type { ImageConfig, Platform } from './manifest.js';
export { hostPlatform } from './platform.js';
export { ImagePullError, PullErrorKind } from './pull-error.js';
export type { Credentials } from './registry-auth.js';
