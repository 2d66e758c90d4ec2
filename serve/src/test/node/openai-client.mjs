// Drives servesim serve with the official openai npm client, as a gateway test would: a streamed chat completion
// and a streamed completion (usage included), a whole chat completion and the model list. Prints what it saw as
// one JSON line. Usage: node openai-client.mjs BASE_URL MODEL
import OpenAI from 'openai';

const [baseURL, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: 'not-needed', maxRetries: 0, timeout: 60_000 });

async function drain(stream, textOf) {
  const seen = { text: '', finishReason: null, usage: null, chunks: 0, ids: new Set() };
  for await (const chunk of stream) {
    seen.chunks++;
    seen.ids.add(chunk.id);
    if (chunk.choices.length > 0) {
      seen.text += textOf(chunk.choices[0]) ?? '';
      seen.finishReason = chunk.choices[0].finish_reason ?? seen.finishReason;
    }
    if (chunk.usage) {
      seen.usage = chunk.usage;
    }
  }
  return { ...seen, ids: [...seen.ids] };
}

const chat = await drain(await client.chat.completions.create({
  model,
  messages: [{ role: 'system', content: 'You are brief.' }, { role: 'user', content: 'Say hello.' }],
  max_tokens: 5,
  temperature: 0.2,
  stream: true,
  stream_options: { include_usage: true },
}), (choice) => choice.delta.content);

const completion = await drain(await client.completions.create({
  model,
  prompt: 'Once upon a time',
  max_tokens: 4,
  stream: true,
  stream_options: { include_usage: true },
}), (choice) => choice.text);

const whole = await client.chat.completions.create({
  model,
  messages: [{ role: 'user', content: 'Say hello.' }],
  max_completion_tokens: 3,
});

const models = [];
for await (const card of client.models.list()) {
  models.push(card.id);
}

let refused = null;
try {
  await client.completions.create({ model: 'no-such-model', prompt: 'x', max_tokens: 1 });
} catch (error) {
  refused = { status: error.status, type: error.type ?? error.error?.type ?? null, message: error.message };
}

console.log(JSON.stringify({
  chat,
  completion,
  whole: { text: whole.choices[0].message.content, finishReason: whole.choices[0].finish_reason, usage: whole.usage },
  models,
  refused,
}));
