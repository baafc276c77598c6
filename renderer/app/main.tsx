import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startStores } from '../stores';
import { App } from './App';
import './styles.css';
import './capture.css';
import './recovery.css';
import './drills.css';
import './history.css';

startStores();

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
