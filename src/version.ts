// The densec version, written into every emitted model's metadata.
export const version = '0.1.0';
