const t0 = performance.now();
await import('chevrotain');
console.log('chev', performance.now()-t0);
