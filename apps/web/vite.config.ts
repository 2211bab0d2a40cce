import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// One origin: in development Vite forwards the API paths to the server, as the Ingress does in Kubernetes.
const apiUrl = process.env.PERCOLATE_API_URL ?? 'http://127.0.0.1:3000'
const apiPaths = ['/trpc', '/auth', '/actions', '/healthz', '/readyz']

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: Number(process.env.WEB_PORT ?? 5173),
    strictPort: true,
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: apiUrl, changeOrigin: false }])),
  },
  preview: { host: '127.0.0.1', strictPort: true },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1500 },
})
