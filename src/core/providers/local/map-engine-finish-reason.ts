import type { FinishReason } from '../../../shared/llm';
import type { EngineStopReason } from '../../engine/engine';

/** The engine's stop reason in the spec's terms; the raw word is kept for display. */
export function mapEngineFinishReason(reason: EngineStopReason): FinishReason {
  switch (reason) {
    case 'stop':
    case 'stop-sequence':
      return { unified: 'stop', raw: reason };
    case 'length':
      return { unified: 'length', raw: reason };
    case 'aborted':
      return { unified: 'aborted', raw: reason };
  }
}
