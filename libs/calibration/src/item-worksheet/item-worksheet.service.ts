import { Injectable } from '@nestjs/common';
import type { Principal } from '#libs/core';
import { RequestService } from '#libs/requests';
import { ResultService } from '../results/result.service.js';
import { TemplateService, toTemplateView } from '../templates/template.service.js';
import type { ItemWorksheetView } from './dto/item-worksheet.dto.js';

/**
 * The worksheet of one request item in one read: the item (through the requests library, with its
 * access rules and 404s), the active template of its instrument's type for its service, that
 * template filled for the instrument today, and the item's result with its current revision.
 */
@Injectable()
export class ItemWorksheetService {
  constructor(
    private readonly requests: RequestService,
    private readonly templates: TemplateService,
    private readonly results: ResultService,
  ) {}

  async read(requestId: string, itemId: string, principal: Principal): Promise<ItemWorksheetView> {
    // The result beside the item: nothing of it is answered unless the item is found in this request.
    const [item, result] = await Promise.all([
      this.requests.item(requestId, itemId, principal),
      this.results.ofItem(itemId),
    ]);
    const instrument = item.instrument;
    const template = instrument ? await this.templates.activeFor(instrument.instrumentTypeId, item.service) : null;
    const sheet = template && instrument ? await this.templates.fill(template, instrument.id) : null;
    return { item, template: template && toTemplateView(template), sheet, result };
  }
}
