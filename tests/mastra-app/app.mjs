// A small but real Mastra app, run by the e2e suite against a running Sextant: an agent with two
// tools (one throws), a workflow with a branch and a failing step, custom logs and metrics. The
// language model is the AI SDK's mock, so no network is needed and every token count is known.
//
// Environment: SEXTANT_EXPORTER = otlp | platform, SEXTANT_INGEST_URL (http://127.0.0.1:4318),
// SEXTANT_API_KEY (optional), SEXTANT_SERVICE_NAME, SEXTANT_RUN_TAG (a tag on every trace).
// Prints one JSON line with what it ran (trace ids, expected token totals) for the test to check.
import { Mastra } from '@mastra/core/mastra';
import { Agent } from '@mastra/core/agent';
import { createTool } from '@mastra/core/tools';
import { createWorkflow, createStep } from '@mastra/core/workflows';
import { Observability, MastraPlatformExporter } from '@mastra/observability';
import { OtelExporter } from '@mastra/otel-exporter';
import { MockLanguageModelV2 } from 'ai/test';
import { z } from 'zod';

const exporterKind = process.env.SEXTANT_EXPORTER ?? 'otlp';
const ingest = process.env.SEXTANT_INGEST_URL ?? 'http://127.0.0.1:4318';
const apiKey = process.env.SEXTANT_API_KEY ?? 'local';
const serviceName = process.env.SEXTANT_SERVICE_NAME ?? `mastra-app-${exporterKind}`;
const runTag = process.env.SEXTANT_RUN_TAG ?? 'e2e';

// Per model call: 120 input tokens (20 of them read from cache), 30 output tokens (5 reasoning).
const USAGE = {
  inputTokens: 120,
  outputTokens: 30,
  totalTokens: 150,
  reasoningTokens: 5,
  cachedInputTokens: 20,
};

/** Calls the tool named in the prompt first, then answers in text once the tool result is in. */
function mockModel() {
  return new MockLanguageModelV2({
    provider: 'openai.chat',
    modelId: 'gpt-4o-mini',
    doGenerate: async ({ prompt }) => {
      const last = prompt[prompt.length - 1];
      if (last.role === 'tool') {
        return {
          content: [{ type: 'text', text: 'Here is what I found.' }],
          finishReason: 'stop',
          usage: USAGE,
          warnings: [],
        };
      }
      const user = JSON.stringify(prompt.filter((m) => m.role === 'user'));
      const toolName = user.includes('forecast') ? 'forecastTool' : 'weatherTool';
      return {
        content: [
          {
            type: 'tool-call',
            toolCallId: `call_${toolName}`,
            toolName,
            input: JSON.stringify({ city: 'Oslo' }),
          },
        ],
        finishReason: 'tool-calls',
        usage: USAGE,
        warnings: [],
      };
    },
  });
}

const weatherTool = createTool({
  id: 'weatherTool',
  description: 'Get the current weather for a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async (input, context) => {
    context?.loggerVNext?.info('weather lookup requested', { city: input.city });
    context?.metrics?.emit('app_weather_lookups', 1, { city: input.city });
    return { city: input.city, tempC: 15, conditions: 'snow' };
  },
});

const forecastTool = createTool({
  id: 'forecastTool',
  description: 'Get a forecast; always fails',
  inputSchema: z.object({ city: z.string() }),
  execute: async (input, context) => {
    context?.loggerVNext?.error('forecast service unreachable', { city: input.city });
    throw new Error('forecast service unreachable');
  },
});

const agent = new Agent({
  id: 'travel-agent',
  name: 'Travel Agent',
  instructions: 'You help travellers with the weather.',
  model: mockModel(),
  tools: { weatherTool, forecastTool },
});

const classify = createStep({
  id: 'classify',
  inputSchema: z.object({ amount: z.number() }),
  outputSchema: z.object({ amount: z.number() }),
  execute: async ({ inputData, loggerVNext }) => {
    loggerVNext?.warn('classifying order', { amount: inputData.amount });
    return inputData;
  },
});
const small = createStep({
  id: 'small-order',
  inputSchema: z.object({ amount: z.number() }),
  outputSchema: z.object({ result: z.string() }),
  execute: async () => ({ result: 'small' }),
});
const large = createStep({
  id: 'large-order',
  inputSchema: z.object({ amount: z.number() }),
  outputSchema: z.object({ result: z.string() }),
  execute: async () => ({ result: 'large' }),
});
const charge = createStep({
  id: 'charge-card',
  inputSchema: z.any(),
  outputSchema: z.object({ charged: z.boolean() }),
  execute: async () => {
    throw new Error('card declined');
  },
});
const orderWorkflow = createWorkflow({
  id: 'order-workflow',
  inputSchema: z.object({ amount: z.number() }),
  outputSchema: z.object({ charged: z.boolean() }),
})
  .then(classify)
  .branch([
    [async ({ inputData }) => inputData.amount < 100, small],
    [async ({ inputData }) => inputData.amount >= 100, large],
  ])
  .then(charge)
  .commit();

const exporter =
  exporterKind === 'platform'
    ? new MastraPlatformExporter({
        endpoint: ingest,
        accessToken: apiKey,
        resolveFromEnv: false,
        maxBatchWaitMs: 200,
      })
    : new OtelExporter({
        provider: {
          custom: {
            endpoint: ingest,
            protocol: 'http/protobuf',
            headers: { authorization: `Bearer ${apiKey}` },
          },
        },
        batchSize: 64,
      });

const mastra = new Mastra({
  agents: { travelAgent: agent },
  workflows: { orderWorkflow },
  observability: new Observability({
    configs: {
      sextant: {
        serviceName,
        exporters: [exporter],
        logging: { level: 'info' },
      },
    },
  }),
});

const traces = [];
const remember = (kind, result) => traces.push({ kind, traceId: result?.traceId ?? null });

const tracingOptions = { tags: [runTag, `exporter:${exporterKind}`] };
const memory = (thread) => ({ thread, resource: 'user-42' });

const travel = mastra.getAgent('travelAgent');
remember(
  'agent-ok',
  await travel.generate('What is the weather in Oslo?', {
    tracingOptions,
    memory: undefined,
    runId: undefined,
  }),
);
try {
  remember('agent-tool-error', await travel.generate('Give me the forecast for Oslo', { tracingOptions }));
} catch (e) {
  traces.push({ kind: 'agent-tool-error', traceId: null, error: String(e) });
}
for (const amount of [20, 500]) {
  const run = await mastra.getWorkflow('orderWorkflow').createRun();
  const result = await run.start({ inputData: { amount }, tracingOptions });
  traces.push({ kind: `workflow-${amount}`, traceId: result?.traceId ?? null, status: result.status });
}

await mastra.observability.getDefaultInstance()?.flush?.();
await mastra.shutdown?.();
console.log(JSON.stringify({ exporter: exporterKind, serviceName, usage: USAGE, traces }));
