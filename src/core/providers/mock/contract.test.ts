import type { CallOptions, LanguageModel, ProviderErrorKind } from '../../../shared/llm';
import type { Fault, RecordedRequest, Scenario, WireServer } from '../../../../test/wire/scenario';
import { describeModelContract } from '../testing/model-contract';
import { createMock } from './create-mock';
import type { MockFault, MockSettings } from './mock-settings';

/**
 * The mock has no wire: its "server" is a queue. `enqueue(scenario)` sets the mock's next answer,
 * `requests` records each call's options as the body, and HTTP-only faults become the kinds an
 * HTTP adapter would report (a reset → connection, a cut → connection after N tokens, a malformed
 * event → server after N tokens, a wrong content type → server, a status → its kind and status).
 */
interface MockServer extends WireServer {
  next(): Scenario | undefined;
}

function startMockServer(): Promise<MockServer> {
  const queue: Scenario[] = [];
  const requests: RecordedRequest[] = [];
  return Promise.resolve({
    baseURL: 'mock://',
    requests,
    enqueue: (...scenarios) => queue.push(...scenarios),
    next: () => queue.shift(),
    close: () => Promise.resolve(),
  });
}

const KIND_BY_STATUS: Record<number, ProviderErrorKind> = {
  400: 'bad_request',
  401: 'auth',
  403: 'auth',
  404: 'not_found',
  408: 'timeout',
  413: 'context_length',
  429: 'rate_limit',
  500: 'server',
  503: 'server',
};

function faultOf(fault: Fault): MockFault {
  switch (fault.kind) {
    case 'status':
      return {
        kind: KIND_BY_STATUS[fault.status] ?? 'server',
        status: fault.status,
        ...(fault.message === undefined ? {} : { message: fault.message }),
        ...(fault.retryAfter === undefined ? {} : { retryAfterMs: fault.retryAfter * 1000 }),
      };
    case 'timeout':
      return { kind: 'timeout', message: 'Mock provider: no answer in time.' };
    case 'reset':
      return { kind: 'connection', message: 'Mock provider: connection reset.' };
    case 'cut':
      return { kind: 'connection', afterTokens: fault.afterEvents, message: 'Mock provider: connection closed mid-stream.' };
    case 'malformed':
      return { kind: 'server', afterTokens: fault.afterEvents, message: 'Mock provider: a malformed event.' };
    case 'content-type':
      return { kind: 'server', message: `Mock provider: answered with content type ${fault.contentType}.` };
  }
}

function settingsOf(scenario: Scenario | undefined): MockSettings {
  if (scenario === undefined) return {};
  const settings: MockSettings = {
    response: (scenario.text ?? []).join(''),
    // A count the scenario leaves out is not reported.
    usage: {
      ...(scenario.usage?.input === undefined ? {} : { inputTokens: scenario.usage.input }),
      ...(scenario.usage?.output === undefined ? {} : { outputTokens: scenario.usage.output }),
      ...(scenario.usage?.cacheRead === undefined ? {} : { cacheReadTokens: scenario.usage.cacheRead }),
      ...(scenario.usage?.reasoning === undefined ? {} : { reasoningTokens: scenario.usage.reasoning }),
    },
  };
  if (scenario.reasoning) settings.reasoning = scenario.reasoning.join('');
  if (scenario.toolCalls) settings.toolCalls = scenario.toolCalls.map((c) => ({ toolCallId: c.id, toolName: c.name, input: c.arguments }));
  if (scenario.finish) settings.finishReason = scenario.finish;
  if (scenario.delayMs !== undefined) settings.tokenDelayMs = scenario.delayMs;
  if (scenario.fault) settings.fault = faultOf(scenario.fault);
  return settings;
}

/** A model that takes its settings from the server's queue at each call, as a wire adapter takes its answer. */
function scriptedMock(server: MockServer): LanguageModel {
  return {
    provider: 'mock',
    modelId: 'mock-1',
    capabilities: { vision: true, tools: true, reasoning: true, json: true },
    stream(options: CallOptions) {
      const { abortSignal: _signal, ...body } = options;
      server.requests.push({ method: 'POST', path: '/mock', headers: {}, body });
      return createMock(settingsOf(server.next())).languageModel('mock-1').stream(options);
    },
  };
}

describeModelContract({
  name: 'mock',
  startServer: startMockServer,
  createModel: (server) => scriptedMock(server as MockServer),
  supports: { tools: true, images: true, reasoning: true, cacheRead: true, retryAfter: true },
});
