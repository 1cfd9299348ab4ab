/**
 * Mirror selectors: which of the mirrors that may take a request now gets it. Each class cites where its
 * rule comes from; ids are stable and used by scenario files and reports.
 */
package org.mirrorswarm.strategies.selector;
