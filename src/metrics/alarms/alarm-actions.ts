import type { Alarm, StateValue } from './alarm-types.js';

/**
 * The port through which an alarm's actions run: on a state change with actions enabled, each
 * ARN of the new state's action list is executed. Implementations (Application Auto Scaling
 * policies, SNS topics) register a handler for the ARNs they own, by prefix.
 */
export interface AlarmActions {
  /** `oldState` is the state the alarm left (SNS notifications name it). */
  execute(actionArn: string, alarm: Alarm, newState: StateValue, oldState?: StateValue): Promise<void>;
}

/** Runs one action; a rejection is recorded in the alarm's history as a failed action. */
export type ActionHandler = (actionArn: string, alarm: Alarm, newState: StateValue, oldState?: StateValue) => Promise<void>;

/** Handlers by ARN prefix; the longest prefix that matches runs the action. */
export class ActionHandlers implements AlarmActions {
  private readonly handlers = new Map<string, ActionHandler>();

  /** Registers `handler` for ARNs starting with `prefix`; returns a function that removes it. */
  register(prefix: string, handler: ActionHandler): () => void {
    this.handlers.set(prefix, handler);
    return () => {
      if (this.handlers.get(prefix) === handler) this.handlers.delete(prefix);
    };
  }

  async execute(actionArn: string, alarm: Alarm, newState: StateValue, oldState?: StateValue): Promise<void> {
    let best: string | undefined;
    for (const prefix of this.handlers.keys()) if (actionArn.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
    if (best === undefined) throw new Error('No handler is registered for this action on this endpoint.');
    await this.handlers.get(best)!(actionArn, alarm, newState, oldState);
  }
}
