// PLACEHOLDER: replaced by the command's real implementation.
import type { Command } from 'commander';
import type { Outcome } from '../program.js';

export function register(program: Command, _outcome: Outcome): void {
  void program;
}
