import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { Badge, createTheme, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import '../i18n';
import { App } from './App';
import { queryClient } from './query-client';

const theme = createTheme({
  primaryColor: 'teal',
  components: {
    // A badge says something that must be read whole (a rule's confidence, a type's readiness): in a
    // narrow table cell it wraps instead of ending in an ellipsis, Mantine's default.
    Badge: Badge.extend({
      styles: { root: { height: 'auto', paddingBlock: 2 }, label: { whiteSpace: 'normal', lineHeight: 1.35 } },
    }),
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
