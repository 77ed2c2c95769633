// mfrecs from Node.js with the official client: a personalized search, a fold-in, similar items.
// Run: npm install && ES_URL=http://localhost:9200 MODEL=shop USER_ID=u1 ITEM_ID=p1 node recommend.mjs
// (ES_API_KEY for a secured cluster). Prints one JSON object with the three answers.
import { Client } from '@elastic/elasticsearch'

const client = new Client({
  node: process.env.ES_URL ?? 'http://localhost:9200',
  ...(process.env.ES_API_KEY ? { auth: { apiKey: process.env.ES_API_KEY } } : {})
})
const model = process.env.MODEL ?? 'shop'
const user = process.env.USER_ID ?? 'u1'
const item = process.env.ITEM_ID ?? 'p1'

// Personalized: mf_recommend is a query, so search() takes it as it is.
const recommended = await client.search({
  index: `${model}-items`,
  size: 5,
  query: { mf_recommend: { model, user, k: 5 } }
})

// The plugin's own endpoints through the client's transport: the vector of a new user given a history.
const foldIn = await client.transport.request({
  method: 'POST',
  path: `/_mf/model/${model}/_fold_in`,
  body: { history: [item] }
})

const similar = await client.search({
  index: `${model}-items`,
  size: 3,
  query: { mf_similar: { model, items: [item], k: 3 } }
})

console.log(JSON.stringify({
  recommended: recommended.hits.hits.map(h => h._id),
  fold_in: { version: foldIn.version, dims: foldIn.vector.length, source: foldIn.source },
  similar: similar.hits.hits.map(h => h._id)
}))
