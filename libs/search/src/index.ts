export * from './search.module.js';
export * from './search.service.js';
export * from './dto/search.dto.js';
